"""The s3 extra (`pip install -e '.[s3]'`): uploads stored through Django's default storage configured as
the settings configure it for KYODO_S3_BUCKET, against a local S3 API (moto's server on a free port of
127.0.0.1; no network). Skipped, with the reason shown, where boto3, django-storages or moto are missing."""

import ast
import socket
import subprocess
import sys
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 missing: pip install -e '.[s3]'")
pytest.importorskip("storages", reason="django-storages missing: pip install -e '.[s3]'")
moto_server = pytest.importorskip(
    "moto.server", reason="moto missing: pip install 'moto[server]' (test extra)"
)

from django.core.files.storage import default_storage  # noqa: E402  (after the skips above)
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from storages.backends.s3 import S3Storage  # noqa: E402

from kyodo.core import media  # noqa: E402
from kyodo.core.tests.imagefiles import JPEG_MAGIC, image_bytes  # noqa: E402
from kyodo.groups.forms import GroupProfileForm  # noqa: E402
from kyodo.groups.models import Group  # noqa: E402

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
BUCKET = "kyodo-uploads"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3_settings(endpoint: str) -> dict:
    """What kyodo/settings.py builds for KYODO_S3_BUCKET + AWS_S3_ENDPOINT_URL + AWS_S3_REGION_NAME."""
    code = "from django.conf import settings; print(repr(settings.STORAGES['default']))"
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",  # only to load the settings without a production SECRET_KEY
        "DJANGO_SETTINGS_MODULE": "kyodo.settings",
        "KYODO_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "ap-northeast-1",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return ast.literal_eval(result.stdout)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)  # read by django-storages itself
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="ap-northeast-1", **_keys())
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
        )
    settings.STORAGES = {**settings.STORAGES, "default": _s3_settings(s3_endpoint)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _keys() -> dict:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def test_the_settings_name_the_installed_s3_backend(s3_endpoint):
    config = _s3_settings(s3_endpoint)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["bucket_name"] == BUCKET
    assert config["OPTIONS"]["endpoint_url"] == s3_endpoint


def test_a_logo_uploaded_on_the_edit_page_is_stored_in_the_bucket(
    s3, client_for, group_a, member_a, django_capture_on_commit_callbacks
):
    form = GroupProfileForm(instance=group_a)
    data = {name: form[name].value() for name in form.fields if name not in ("logo", "fields")}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    upload = SimpleUploadedFile("IMG_0001.JPG", image_bytes(exif=True), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("member_a").post(
            f"/en/groups/mine/{group_a.pk}/edit/", {**data, "logo": upload}
        )
    assert response.status_code == 302
    name = Group.objects.get(pk=group_a.pk).logo.name
    assert name.startswith("groups/logos/") and name.endswith(".jpg")
    stored = s3.get_object(Bucket=BUCKET, Key=name)
    content = stored["Body"].read()
    assert content[:3] == JPEG_MAGIC and b"Exif" not in content
    assert stored["ContentType"] == "image/jpeg"
    assert isinstance(default_storage._wrapped, S3Storage) and default_storage.exists(name)


def test_the_daily_job_finds_orphans_in_the_bucket(s3, group_a):
    group_a.logo.save("kept.jpg", SimpleUploadedFile("kept.jpg", image_bytes()))
    s3.put_object(Bucket=BUCKET, Key="groups/logos/orphan.jpg", Body=b"x")
    s3.put_object(Bucket=BUCKET, Key="exports/outside.csv", Body=b"x")
    now = default_storage.get_modified_time("groups/logos/orphan.jpg")
    assert media.remove_orphans(now=now) == 0  # young: kept
    assert media.remove_orphans(now=now + media.MIN_AGE) == 1
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {group_a.logo.name, "exports/outside.csv"}
