"""`make bench`: the performance benchmark (see run.py). Not part of the test suite."""
