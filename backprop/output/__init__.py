"""What leaves the program, in four parts each importing only those after it: the command line (`cli`),
a course (`course`), course material (`material`), rendering to files (`render`)."""
