# tests/build.mk - test programs and the list of suites `make test` runs.
# Components append their own suites in their build.mk.

.PHONY: test-programs
test-programs:

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

test-programs: $(UNIT_TESTS)

$(B)/tests/test_%: tests/unit/test_%.c tests/unit/helpers.h $(B)/libalpxe.a | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) -Wno-unused-function \
		-DEXAMPLE_CONF=\"$(CURDIR)/tests/data/example.conf\" -o $@ $< \
		$(B)/libalpxe.a $(LDLIBS_INIH) -lcmocka

TEST_SUITES += $(UNIT_TESTS)
TEST_SUITES += tests/cli/run.sh
