"""Shared bootstrap for the identifier scripts: runs the calling script inside
`.venv-vectors/` with the pinned PyPI packages, creating the venv on first use.

Usage (first lines of a script):
    import _identifier_venv; _identifier_venv.ensure()
"""
import os
import subprocess
import sys

# Exact versions the committed fixtures and generated Swift tables were built with.
PINNED = [
    "facebook-business==26.0.3",
    "snap-business-sdk==1.0.0",
    "tiktok-business-api-sdk==1.0.1",
    "pinterest-api-sdk==0.2.7",
    "google-ads-datamanager-util==0.4.0",
    "phonenumbers==9.0.43",
    "pycountry==26.2.16",
]

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(REPO, ".venv-vectors")


def ensure():
    """Re-executes the current script with the venv's Python unless already there."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINNED])
    os.execv(py, [py, *sys.argv])
