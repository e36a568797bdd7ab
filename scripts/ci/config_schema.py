"""Validates configuration files against config/schema/bridge-config.schema.json
(JSON Schema 2020-12) with Python jsonschema: config/bridge.example.yaml must
validate, and a few broken copies of it must not (so the check can fail).

    python scripts/ci/config_schema.py
"""
import copy
import json
import pathlib
import sys

import yaml
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> int:
    schema = json.loads((ROOT / "config/schema/bridge-config.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    example_text = (ROOT / "config/bridge.example.yaml").read_text()
    if "yaml-language-server: $schema=./schema/bridge-config.schema.json" not in example_text:
        print("config/bridge.example.yaml does not reference the schema for editors", file=sys.stderr)
        return 1
    example = yaml.safe_load(example_text)
    errors = sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))
    for error in errors:
        print(f"config/bridge.example.yaml: /{'/'.join(map(str, error.absolute_path))}: {error.message}", file=sys.stderr)
    if errors:
        return 1

    def broken(change):
        document = copy.deepcopy(example)
        change(document)
        return document

    refused = {
        "an unknown top-level key": broken(lambda d: d.update(colour="blue")),
        "a typo in server": broken(lambda d: d["server"].update(admin_tokn="x")),
        "a port that is not a number": broken(lambda d: d["server"].update(port="soon")),
        "an unknown logging.access level": broken(lambda d: d["logging"].update(access="loud")),
        "a meta destination without pixel_id": broken(lambda d: d["destinations"][0].pop("pixel_id")),
        "a key of another platform on meta": broken(lambda d: d["destinations"][0].update(pixel_code="C0AB")),
        "an unknown destination kind": broken(lambda d: d["destinations"][0].update(kind="myspace")),
    }
    failed = False
    for what, document in refused.items():
        if validator.is_valid(document):
            print(f"the schema accepts {what}", file=sys.stderr)
            failed = True
    if failed:
        return 1
    print(f"config schema: the example validates; {len(refused)} broken copies are refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
