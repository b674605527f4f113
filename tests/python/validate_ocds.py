"""Validates an OCDS release package written by City Tools with jsonschema (Draft 4).

No package on PyPI, npm or crates.io ships the official OCDS 1.1 release(-package) schema (see
README.md in this folder), so the schema used here, ocds_release_package_subset.schema.json, is
our own statement of the OCDS 1.1 rules we rely on, written from the standard's documentation,
not a copy of the official file. Prints each error and exits 1 if there are any.

Usage: validate_ocds.py FILE
"""

import json
import pathlib
import sys

from jsonschema import Draft4Validator, FormatChecker


def main():
    schema = json.loads(
        (pathlib.Path(__file__).parent / "ocds_release_package_subset.schema.json").read_text()
    )
    Draft4Validator.check_schema(schema)
    data = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    for e in errors:
        print("/".join(str(p) for p in e.path) + ": " + e.message)
    print(json.dumps({"valid": not errors, "releases": len(data.get("releases", []))}))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
