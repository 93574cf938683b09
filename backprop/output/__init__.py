"""What leaves the program: the command line, renders to files, the camera and writer, atomic writes."""
