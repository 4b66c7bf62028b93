"""An S3-compatible server for the tests: moto's server mode in a thread of the test process
(installed with the dev extra; nothing downloaded), and a fresh private bucket per test, set
as Django's default storage the way config/settings.py does when DJANGO_S3_BUCKET is set."""

import hashlib
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

CREDENTIALS = {"aws_access_key_id": "regard-croise-test", "aws_secret_access_key": "test-secret"}
REGION = "eu-west-3"


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server on a free port of 127.0.0.1."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    """A bucket of the test server, read with boto3 (not through Django)."""

    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)
        self.client.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def files(self) -> dict[str, str]:
        """Every object's name and SHA-256, as `files_in` gives them for a folder."""
        names = [
            item["Key"]
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
            for item in page.get("Contents", [])
        ]
        return {
            name: hashlib.sha256(
                self.client.get_object(Bucket=self.name, Key=name)["Body"].read()
            ).hexdigest()
            for name in sorted(names)
        }

    def storage_setting(self) -> dict:
        """STORAGES["default"] as config/settings.py builds it for this bucket."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.name,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "max_memory_size": 5 * 1024 * 1024,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
            },
        }


def new_bucket(s3_server: str) -> Bucket:
    return Bucket(s3_server, f"regard-croise-{uuid.uuid4().hex[:12]}")


def store_in_bucket(settings, bucket: Bucket) -> None:
    """Django's default storage is now `bucket` (FileFields follow default_storage)."""
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_setting()}
