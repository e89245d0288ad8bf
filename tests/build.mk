# tests/build.mk - test programs and the list of suites `make test` runs.
# Components append their own suites in their build.mk.

.PHONY: test-programs
test-programs:
