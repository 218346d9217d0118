"""One module per `blocking-io` sub-command; `static_detector.cli` wires them into the app."""
