# common/build.mk - the core library and the alpxe CLI are built by the
# top-level Makefile's pattern rules; nothing else to add here yet.
