"""matplotlib for the plotting scripts, with the Agg backend.

A python3 without matplotlib (a pyenv/venv first on PATH) re-runs the calling script once with
/usr/bin/python3, which has Debian's python3-matplotlib; without it the script exits with status 3
and says what to install."""

import os
import sys


def pyplot(script):
    """Returns matplotlib.pyplot. `script` is the caller's __file__ (re-run with the same arguments)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        system = "/usr/bin/python3"
        if (os.path.exists(system) and not os.environ.get("WASMHOP_PLOT_REEXEC")
                and os.path.realpath(sys.executable) != os.path.realpath(system)):
            os.environ["WASMHOP_PLOT_REEXEC"] = "1"
            os.execv(system, [system, os.path.abspath(script)] + sys.argv[1:])
        print(f"{os.path.basename(script)}: matplotlib is required (Debian: apt-get install python3-matplotlib)",
              file=sys.stderr)
        sys.exit(3)
