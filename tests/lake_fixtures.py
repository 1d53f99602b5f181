"""Real servers for the lake tests: a throwaway PostgreSQL cluster (Debian's `postgresql` binaries,
run as a non-root user since the server refuses root) and moto's S3 server, both on loopback, started
once per test session; each test gets its own database and bucket."""

from __future__ import annotations

import glob
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from warehouse.lake_connect import LakeSettings

PG_USER, PG_PASSWORD = "lakeadmin", "pg-test-password"
S3_REGION = "us-east-1"
# moto checks S3 signatures once its first requests are spent (without a check: any key would do):
# those three make the IAM user whose key the tests use.
UNCHECKED_REQUESTS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        pytest.fail(f"PostgreSQL's {name} is missing: apt-get install postgresql (.ci/run does)")
    return found[-1]


def as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as `nobody` then."""
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Servers:
    pg_port: int
    s3_port: int
    s3_key: str
    s3_secret: str
    names = itertools.count(1)

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def s3_client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id=self.s3_key,
            aws_secret_access_key=self.s3_secret,
            region_name=S3_REGION,
        )

    def new_lake(self) -> tuple[str, str]:
        """A fresh PostgreSQL database and S3 bucket: (catalog, data path)."""
        name = f"lake{next(self.names)}"
        env = {**os.environ, "PGPASSWORD": PG_PASSWORD}
        subprocess.run(
            [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", PG_USER, name], env=env, check=True
        )
        self.s3_client().create_bucket(Bucket=name)
        return (
            f"ducklake:postgres:dbname={name} host=127.0.0.1 port={self.pg_port} user={PG_USER}",
            f"s3://{name}/data/",
        )

    def env(self, catalog: str, data_path: str, **extra: str) -> dict[str, str]:
        return {
            "REGISTRY_LAKE": catalog,
            "REGISTRY_LAKE_DATA_PATH": data_path,
            "AWS_ACCESS_KEY_ID": self.s3_key,
            "AWS_SECRET_ACCESS_KEY": self.s3_secret,
            "AWS_REGION": S3_REGION,
            "AWS_ENDPOINT_URL": self.s3_url,
            "PGPASSWORD": PG_PASSWORD,
            **extra,
        }

    def settings(self, catalog: str, data_path: str) -> LakeSettings:
        return LakeSettings(catalog, data_path, self.s3_key, self.s3_secret, S3_REGION, self.s3_url, PG_PASSWORD)


def start_postgres(root: Path) -> tuple[int, subprocess.Popen | None]:
    if os.geteuid() == 0:
        shutil.chown(root, user="nobody")
    (root / "pw").write_text(PG_PASSWORD + "\n")
    os.chmod(root / "pw", 0o644)
    data, port = root / "data", free_port()
    subprocess.run(
        as_server_user([pg_bin("initdb"), "-D", str(data), "-U", PG_USER, f"--pwfile={root / 'pw'}",
                        "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} -c fsync=off"
    subprocess.run(
        as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    return port, data


def start_s3() -> tuple[subprocess.Popen, int, str, str]:
    """moto's S3 server on loopback, checking signatures: (process, port, access key, secret key)."""
    port = free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": str(UNCHECKED_REQUESTS)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name=S3_REGION,
                       aws_access_key_id="unchecked", aws_secret_access_key="unchecked")  # fmt: skip
    iam.create_user(UserName="registry")
    key = iam.create_access_key(UserName="registry")["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="registry", PolicyName="lake", PolicyDocument=json.dumps(policy))
    return moto, port, key["AccessKeyId"], key["SecretAccessKey"]


def stop_postgres(data: Path) -> None:
    stop = as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    subprocess.run(stop, check=False, capture_output=True)


@pytest.fixture(scope="session")
def lake_servers():
    root = Path(tempfile.mkdtemp(prefix="registry-lake-pg-"))
    pg_port, data = start_postgres(root)
    moto = None
    try:
        moto, s3_port, key, secret = start_s3()
        yield Servers(pg_port, s3_port, key, secret)
    finally:
        if moto is not None:
            moto.terminate()
            moto.wait(10)
        stop_postgres(data)
        shutil.rmtree(root, ignore_errors=True)
