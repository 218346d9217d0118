"""Static detector: whole-program analysis of where blocking primitives run on the event loop."""
