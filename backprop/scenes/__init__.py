"""The scenes, one file each; `catalog` names them for the command line."""
