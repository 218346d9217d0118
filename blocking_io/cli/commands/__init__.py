"""One module per `blocking-io` command; `app.py` registers them."""
