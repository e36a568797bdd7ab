#!/usr/bin/env python3
"""Checks that the published canonical-event schema and the bridge agree.

Every file of fixtures/schema-corpus/ (valid/, invalid/, strict-invalid/) is
validated twice by Python `jsonschema` against
config/schema/conversion-event.schema.json, with formats asserted:

- as published (unknown properties allowed: the default policy), and
- as a strict source sees it: the same schema with `additionalProperties:
  false` added to every object schema that declares `type: object` and
  `properties` but no `additionalProperties` (the bridge's `strict: true`).

The folder says what both must answer: valid/ is valid both ways, invalid/
invalid both ways, strict-invalid/ valid by default and invalid when strict.
With --bridge BINARY, `BINARY events validate --json` (and `--strict`) must
give the same verdict for every file, and its pointers must be those recorded
in fixtures/schema-corpus/verdicts.json. Exits 1 on any disagreement.
"""
import argparse
import copy
import json
import pathlib
import subprocess
import sys

import jsonschema
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "config/schema/conversion-event.schema.json"
CORPUS = ROOT / "fixtures/schema-corpus"
FOLDERS = {"valid": ("valid", "valid"), "invalid": ("invalid", "invalid"), "strict-invalid": ("valid", "invalid")}


def strict(schema):
    """The schema with additionalProperties: false where members are declared."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            types = node.get("type")
            declares_object = types == "object" or (isinstance(types, list) and "object" in types)
            if declares_object and "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def validators():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    checker = Draft202012Validator.FORMAT_CHECKER
    if "date-time" not in checker.checkers:
        sys.exit("jsonschema cannot check format date-time: install rfc3339-validator (scripts/ci/requirements.txt)")
    return (Draft202012Validator(schema, format_checker=checker), Draft202012Validator(strict(schema), format_checker=checker))


def corpus():
    files = []
    for folder in FOLDERS:
        files += sorted((CORPUS / folder).glob("*.json"))
    return files


def python_verdicts(files):
    default, strict_validator = validators()
    verdicts = {}
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        verdicts[path] = (
            "valid" if default.is_valid(document) else "invalid",
            "valid" if strict_validator.is_valid(document) else "invalid",
        )
    return verdicts


def bridge_verdicts(binary, files, strict_mode):
    arguments = [binary, "events", "validate", "--json"] + (["--strict"] if strict_mode else []) + [str(path) for path in files]
    run = subprocess.run(arguments, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit(f"{' '.join(arguments[:4])} failed with status {run.returncode}:\n{run.stderr}")
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return {pathlib.Path(line["file"]): line for line in lines}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bridge", help="the capi-bridge binary whose verdicts to compare")
    options = parser.parse_args()
    files = corpus()
    recorded = json.loads((CORPUS / "verdicts.json").read_text(encoding="utf-8"))
    problems = []
    relative = {path: str(path.relative_to(CORPUS)) for path in files}
    for path in files:
        if relative[path] not in recorded:
            problems.append(f"{relative[path]}: no verdict recorded in verdicts.json")
    for name in recorded:
        if not (CORPUS / name).exists():
            problems.append(f"verdicts.json: {name} does not exist")
    python = python_verdicts(files)
    for path in files:
        expected = FOLDERS[path.parent.name]
        if python[path] != expected:
            problems.append(f"{relative[path]}: jsonschema says {python[path][0]} (default) / {python[path][1]} (strict), the folder says {expected[0]} / {expected[1]}")
    if options.bridge:
        for strict_mode in (False, True):
            answers = bridge_verdicts(options.bridge, files, strict_mode)
            for path in files:
                answer = answers.get(path)
                mode = "strict" if strict_mode else "default"
                if answer is None:
                    problems.append(f"{relative[path]}: the bridge gave no verdict ({mode})")
                    continue
                if answer["verdict"] != python[path][1 if strict_mode else 0]:
                    problems.append(f"{relative[path]}: the bridge says {answer['verdict']}, jsonschema says {python[path][1 if strict_mode else 0]} ({mode})")
                if strict_mode:
                    continue
                entry = recorded.get(relative[path], {})
                errors = sorted({error["pointer"] for error in answer["errors"]})
                if errors != sorted(set(entry.get("errors", []))) or sorted(answer["ignored"]) != sorted(entry.get("ignored", [])):
                    problems.append(f"{relative[path]}: the bridge points at errors {errors} ignored {answer['ignored']}, verdicts.json records {entry}")
    for problem in problems:
        print(problem)
    checked = "jsonschema" + (" and the bridge" if options.bridge else "")
    print(f"schema agreement: {len(files)} corpus files, {checked}: {'OK' if not problems else f'{len(problems)} disagreement(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
