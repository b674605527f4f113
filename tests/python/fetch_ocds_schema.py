"""Puts the official OCDS 1.1 release schema and release-package schema into a folder, for
validate_ocds.py. They come from a package on the Python package index: ocdskit's source
distribution carries the standard's schema files among its test fixtures (release-schema.json is
OCDS 1.1.2's; the package schema is 1.1.5's). Nothing is fetched from anywhere else, and nothing
is committed to this repository. Run by `cargo xtask setup`.

Usage: fetch_ocds_schema.py OUT_DIR
"""

import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "ocdskit==1.7.0"
MEMBERS = {
    "tests/fixtures/release-schema.json": "release-schema.json",
    "tests/fixtures/release-package-schema.json": "release-package-schema.json",
}


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-binary", ":all:", PACKAGE, "-d", tmp],
            check=True,
        )
        (sdist,) = pathlib.Path(tmp).glob("ocdskit-*.tar.gz")
        with tarfile.open(sdist) as tar:
            found = 0
            for member in tar.getmembers():
                for suffix, name in MEMBERS.items():
                    if member.name.endswith("/" + suffix):
                        data = tar.extractfile(member).read()
                        (out / name).write_bytes(data)
                        found += 1
            if found != len(MEMBERS):
                sys.exit(f"{sdist.name} does not hold the OCDS schema files any more")
    print(f"OCDS 1.1 schema files written to {out}")


if __name__ == "__main__":
    main()
