from backprop.output.cli import main

main()
