"""Which tests run under the gate (`--blocking-io-gate`, ini `blocking_io_gate`). A leaf
module: the plugin, loaded in every pytest run, imports it without loading the gate."""

MODES = ("anchors", "all", "off")
