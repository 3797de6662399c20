"""Reference outputs for FastRandom (SFC64): NumPy's SFC64 bit generator with its state set directly, so the
test checks the core step function against an independent implementation. Writes ../core_fastrandom.json."""
import numpy as np

from core_common import write_fixture

cases = []
for state in [(1, 2, 3, 4), (0x0123456789ABCDEF, 0xFEDCBA9876543210, 0xDEADBEEFCAFEBABE, 1)]:
    g = np.random.SFC64(0)
    g.state = {"bit_generator": "SFC64", "state": {"state": np.array(state, dtype=np.uint64)}, "has_uint32": 0, "uinteger": 0}
    raw = g.random_raw(1000)
    # JSON numbers lose precision above 2^53: write the outputs as decimal strings.
    cases.append({"state": [str(s) for s in state], "first": [str(int(x)) for x in raw[:8]], "thousandth": str(int(raw[999]))})
write_fixture("core_fastrandom.json", {"versions": f"numpy {np.__version__}", "cases": cases})
