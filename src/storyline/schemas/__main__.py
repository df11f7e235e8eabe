"""python -m storyline.schemas [DIR]: (re)write the JSON Schemas of the exported records."""

import sys
from pathlib import Path

from storyline.schemas import SCHEMA_DIR, write_all

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_DIR
    for path in write_all(target):
        print(path)
