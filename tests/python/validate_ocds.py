"""Validates an OCDS release package written by City Tools with jsonschema (Draft 4), twice:

1. against the official OCDS 1.1 schemas — the release-package schema for the wrapper and the
   release schema for every release — which `cargo xtask setup` puts in .venv/share/ocds from a
   package on the Python package index (see fetch_ocds_schema.py);
2. against ocds_release_package_subset.schema.json, our own stricter statement of the OCDS 1.1
   rules we rely on (no property we do not mean to write).

Prints each error and exits 1 if there are any.

Usage: validate_ocds.py FILE
"""

import json
import pathlib
import sys

from jsonschema import Draft4Validator, FormatChecker

HERE = pathlib.Path(__file__).parent
OFFICIAL = HERE.parent.parent / ".venv" / "share" / "ocds"


def errors_of(schema, data, prefix=""):
    Draft4Validator.check_schema(schema)
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [
        prefix + "/".join(str(p) for p in e.path) + ": " + e.message
        for e in sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    ]


def main():
    data = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    release_schema = OFFICIAL / "release-schema.json"
    package_schema = OFFICIAL / "release-package-schema.json"
    if not (release_schema.is_file() and package_schema.is_file()):
        sys.exit(f"the official OCDS schema is not in {OFFICIAL}: run cargo xtask setup")
    package = json.loads(package_schema.read_text())
    release = json.loads(release_schema.read_text())
    # The wrapper's rules, with each release checked against the release schema below.
    package["properties"]["releases"]["items"] = {"type": "object"}
    errors = errors_of(package, data, "official package: ")
    for i, r in enumerate(data.get("releases", [])):
        errors += errors_of(release, r, f"official release {i}: ")
    subset = json.loads((HERE / "ocds_release_package_subset.schema.json").read_text())
    errors += errors_of(subset, data, "subset: ")
    for e in errors:
        print(e)
    print(json.dumps({
        "valid": not errors,
        "releases": len(data.get("releases", [])),
        "official_schema": release.get("id"),
    }))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
