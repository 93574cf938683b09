"""A course: the course file's lessons rendered on workers into a static site, and each student's exercise."""
