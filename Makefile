# Shortcuts for ./run, for people who prefer make.
.PHONY: setup demo test
setup:
	./run setup
demo:
	./run demo
test:
	./run test
