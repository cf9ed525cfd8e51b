"""`make lab` serves the course: the student's work/ copy in JupyterLab, nbgrader's extensions and Validate working."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, free_port
from course_pipeline.release import tool_env


def makefile_lab_flags() -> list[str]:
    """The JupyterLab options `make lab` passes (LAB_FLAGS in the Makefile)."""
    match = re.search(r"^LAB_FLAGS\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, "LAB_FLAGS is missing from the Makefile"
    return shlex.split(match.group(1).replace("$(CURDIR)", str(ROOT)))


def page_config(page: str) -> dict:
    return json.loads(page.split('id="jupyter-config-data"')[1].split(">", 1)[1].split("</script>")[0])


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab as `make lab` starts it, on a student's checkout: `course update --offline`, then root_dir=work."""
    checkout = tmp_path_factory.mktemp("student-checkout")
    for name in ("nbgrader_config.py",):
        shutil.copy(ROOT / name, checkout / name)
    for name in ("source", "notebooks", "lab"):
        shutil.copytree(ROOT / name, checkout / name)
    made = subprocess.run([sys.executable, "-m", "course_pipeline.cli", "update", "--offline"], cwd=checkout,
                          capture_output=True, text=True, env=tool_env())
    assert made.returncode == 0 and "work/01_derivatives/01_derivatives.ipynb: new" in made.stdout, made.stderr
    port = free_port()
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    flags = [f.replace(str(ROOT), str(checkout)) for f in makefile_lab_flags()]
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.root_dir=work", "--IdentityProvider.token=", "--ServerApp.password=",
           "--ServerApp.disable_check_xsrf=True", *flags]
    if os.geteuid() == 0:  # CI machines run as root
        cmd.append("--allow-root")
    env = {**tool_env(), "JUPYTER_RUNTIME_DIR": str(runtime)}
    proc = subprocess.Popen(cmd, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"{base}/api/status", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {proc.stderr.read()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("jupyter lab did not answer within 60 s")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_lab_page_loads_with_nbgrader_extensions(lab_server):
    status, page = get(f"{lab_server}/lab")
    assert status == 200 and "JupyterLab" in page
    config = page_config(page)
    federated = {ext["name"] for ext in config["federated_extensions"]}
    assert "@jupyter/nbgrader" in federated, f"nbgrader's lab extension is missing: {sorted(federated)}"
    assert "@jupyter-widgets/jupyterlab-manager" in federated


@pytest.mark.slow
def test_lab_serves_the_student_notebooks_and_a_python3_kernel(lab_server):
    _, listing = get(f"{lab_server}/api/contents")
    names = {item["name"] for item in json.loads(listing)["content"]}
    assert "01_derivatives" in names
    _, specs = get(f"{lab_server}/api/kernelspecs")
    assert "python3" in json.loads(specs)["kernelspecs"]


@pytest.mark.slow
def test_lab_starts_without_news_prompt_or_update_check(lab_server):
    _, page = get(f"{lab_server}/lab")
    assert page_config(page)["news"] == {"disabled": True}
    _, settings = get(f"{lab_server}/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = json.loads(settings)["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false"  # "none" would ask the student on first start
    assert defaults["checkForUpdates"]["default"] is False
    make = subprocess.run(["make", "-n", "--no-print-directory", "lab", "instructor-lab"], cwd=ROOT,
                          capture_output=True, text=True)
    launches = [line for line in make.stdout.splitlines() if "jupyter lab" in line]
    assert len(launches) == 2 and all(" ".join(makefile_lab_flags()) in line for line in launches)


@pytest.mark.slow
def test_validate_button_checks_the_students_copy(lab_server):
    """What the Validate button posts: nbgrader runs the visible tests of work/'s blank notebook and reports failures."""
    body = json.dumps({"path": "01_derivatives/01_derivatives.ipynb"}).encode()
    request = urllib.request.Request(f"{lab_server}/assignments/validate", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        answer = json.loads(response.read().decode())
    assert answer["success"] is True, answer
    assert "failed" in json.dumps(answer["value"]).lower() or answer["value"].get("failed"), answer


# --- the Validate dialog, as a student sees it -------------------------------------------------------------

# The student: Adam right, except that t = 0 is not refused (1 - beta**0 = 0: nan and RuntimeWarnings).
ADAM_WITHOUT_T_CHECK = '''def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
'''


def _students_notebook(release: dict, wrong: dict[str, str]) -> dict:
    """The release notebook (JSON) with every exercise answered as the answer key does, except the `wrong` ones."""
    import nbformat

    from course_pipeline.nbtools import nbgrader_meta, notebook_paths, read_notebook
    from course_pipeline.release import solution_notebook

    (source,) = notebook_paths(ROOT / "source" / "07_optimizers")
    answers = {nbgrader_meta(c).get("grade_id"): c.source for c in solution_notebook(read_notebook(source)).cells
               if nbgrader_meta(c).get("solution")}
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in answers:
            cell.source = wrong.get(grade_id, answers[grade_id])
    return nb


@pytest.mark.slow
def test_validate_dialog_shows_the_verdict_first(lab_server, browser):
    """A wrong adam_step, the Validate button pressed in JupyterLab: the dialog's first lines are the verdict."""
    path = "07_optimizers/07_optimizers.ipynb"
    _, body = get(f"{lab_server}/api/contents/{path}?content=1")
    nb = _students_notebook(json.loads(body)["content"], {"adam_step": ADAM_WITHOUT_T_CHECK})
    put = urllib.request.Request(f"{lab_server}/api/contents/{path}", method="PUT",
                                 data=json.dumps({"type": "notebook", "format": "json", "content": nb}).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(put, timeout=30).close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{lab_server}/lab/tree/{path}", timeout=120_000)
        button = page.locator(".validate-button button, button.validate-button, .validate-button").first
        button.wait_for(state="visible", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-cell", timeout=60_000)
        button.click()
        dialog = page.locator(".jp-Dialog-content")
        dialog.locator(".validation-failed, .validation-success, .validation-changed").first.wait_for(timeout=300_000)
        text = dialog.inner_text()
    finally:
        page.close()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    failed = lines.index("The following cell failed:")
    verdict = lines[failed + 1:failed + 4]
    assert verdict[0].startswith("adam_step(..., t=0, ...) returned") and \
        verdict[0].endswith("expected it to raise ValueError (t counts steps from 1)."), text
    assert verdict[1].startswith("Likely mistake: ") and verdict[2].startswith("Reread the section “5. Adam"), text
    assert lines.count("The following cell failed:") == 1, f"only adam_step's test should fail:\n{text}"
    assert "checks.py" not in text and "Traceback" not in text and "course_utils" not in text, text
    below = "\n".join(lines[failed + 4:])
    assert "In this test cell:" in below and "RuntimeWarning" in below, text  # the code and the warnings come after
