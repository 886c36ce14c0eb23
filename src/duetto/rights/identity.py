"""The studio's signing identity: a root certificate and the ES256 signing certificate it issues.

Made on first publish, under ``<home>/identity/``:

- ``root-<serial>.pem`` / ``root-<serial>.key`` — a CA (path length 0, keyCertSign and cRLSign):
  the studio's trust anchor, what a reader is given to trust the studio's works;
- ``signer-<serial>.pem`` / ``signer-<serial>.key`` — the leaf that signs manifests
  (digitalSignature, EKU emailProtection, SKI/AKI). c2pa refuses documentSigning and its own
  claimSigning OID at sign time with c2pa-python 0.38.1, so emailProtection it is;
- ``identity.json`` — which certificates exist, which signer is current, which are revoked.

Private keys are PKCS8 PEM files of mode 0600 (the folder 0700), encrypted when the studio sets
a passphrase (``DUETTO_IDENTITY_PASSPHRASE``, or the CLI asks for it). Certificates are public.

``rotate`` issues a new signer (``root=True``: a new root too) and retires the old signer's key;
every old certificate stays, so works signed before still verify: their manifest carries its own
chain, and every root the studio ever had stays an anchor until it is revoked. ``revoke`` marks
a certificate revoked: ``verify`` then reports works signed with it (or under a revoked root) as
signed by a revoked signer. Nothing here is published anywhere: revocation is the studio's own
list, consulted by its own ``verify``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import BaseModel, Field

from duetto.errors import Conflict, InvalidInput, NotFound

ROOT_YEARS, SIGNER_YEARS = 20, 10
STATE = "identity.json"

Passphrase = str | Callable[[], str | None] | None
"""The key passphrase, or a function that asks for it only when a key is read or written."""


class Certificate(BaseModel):
    serial: str = Field(description="Decimal serial number, as C2PA readers report cert_serial_number.")
    fingerprint: str = Field(description="SHA-256 of the DER certificate, hex.")
    role: Literal["root", "signer"]
    subject: str
    issuer_serial: str | None = Field(None, description="A signer's root.")
    not_before: dt.datetime
    not_after: dt.datetime
    file: str
    key_file: str | None = Field(None, description="None once the key is retired (a rotated signer).")
    revoked_at: dt.datetime | None = None
    revoked_reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class IdentityState(BaseModel):
    name: str
    encrypted: bool
    current: str = Field(description="Serial of the signer that signs now.")
    certificates: list[Certificate]

    def cert(self, serial: str) -> Certificate:
        for c in self.certificates:
            if c.serial == serial:
                return c
        raise NotFound(f"no certificate with serial {serial}")

    @property
    def signer(self) -> Certificate:
        return self.cert(self.current)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_public(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o644)


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64])])


def _root(org: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{org} root", org)
    now = _now()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _signer(org: str, root_key: ec.EllipticCurvePrivateKey, root: x509.Certificate,
            ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder().subject_name(_name(f"{org} signer {now:%Y-%m-%d}", org)).issuer_name(root.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return key, cert


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey, passphrase: str | None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")) if passphrase else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _record(cert: x509.Certificate, role: Literal["root", "signer"], key_file: str | None,
            issuer: str | None = None) -> Certificate:
    serial = str(cert.serial_number)
    return Certificate(
        serial=serial, fingerprint=cert.fingerprint(hashes.SHA256()).hex(), role=role,
        subject=cert.subject.rfc4514_string(), issuer_serial=issuer,
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        file=f"{role}-{serial}.pem", key_file=key_file)


class Identity:
    """The key files of one studio. ``passphrase`` is asked for only when a key is used."""

    def __init__(self, home: Path, *, name: str = "duetto studio", passphrase: Passphrase = None) -> None:
        self.dir = Path(home) / "identity"
        self.name = name
        self._passphrase = passphrase

    # -- reading ------------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.dir / STATE).is_file()

    def state(self) -> IdentityState:
        try:
            return IdentityState.model_validate_json((self.dir / STATE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotFound("the studio has no signing identity yet",
                           hint="`duetto publish <version>` makes one, or `duetto identity rotate`") from None

    def certificate_pem(self, cert: Certificate) -> str:
        return (self.dir / cert.file).read_text(encoding="ascii")

    def anchors(self) -> str:
        """Every root the studio has had that is not revoked, as one PEM bundle: the trust a
        reader is given for the studio's works, old and new. Empty when there is no identity."""
        if not self.exists():
            return ""
        return "".join(self.certificate_pem(c) for c in self.state().certificates if c.role == "root" and not c.revoked)

    def revoked(self, serial: str) -> Certificate | None:
        """The revoked certificate that makes a signer with ``serial`` revoked: the signer
        itself or the root that issued it; None when neither is (or the signer is not ours)."""
        if not self.exists():
            return None
        state = self.state()
        found = next((c for c in state.certificates if c.serial == serial), None)
        if found is None:
            return None
        if found.revoked:
            return found
        root = next((c for c in state.certificates if c.serial == found.issuer_serial), None)
        return root if root is not None and root.revoked else None

    def knows(self, serial: str) -> bool:
        return self.exists() and any(c.serial == serial for c in self.state().certificates)

    # -- keys ---------------------------------------------------------------------------------

    def _ask(self) -> str | None:
        p = self._passphrase() if callable(self._passphrase) else self._passphrase
        return p or None

    def _load_key(self, cert: Certificate, state: IdentityState) -> ec.EllipticCurvePrivateKey:
        if cert.key_file is None:
            raise Conflict(f"the key of certificate {cert.serial[:12]} was retired", hint="`duetto identity rotate`")
        data = (self.dir / cert.key_file).read_bytes()
        passphrase = self._ask() if state.encrypted else None
        if state.encrypted and not passphrase:
            raise InvalidInput("the studio's signing key is encrypted and no passphrase was given",
                               hint="set DUETTO_IDENTITY_PASSPHRASE, or run the command on a terminal to be asked")
        try:
            key = serialization.load_pem_private_key(data, passphrase.encode("utf-8") if passphrase else None)
        except ValueError:
            raise InvalidInput("wrong passphrase for the studio's signing key") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise InvalidInput(f"{cert.key_file} is not an EC key")
        return key

    def signing_material(self) -> tuple[str, str, Certificate]:
        """The current signer's chain (leaf then root, PEM), its key as unencrypted PKCS8 PEM
        (in memory only, for the c2pa signer) and its record."""
        state = self.state()
        signer = state.signer
        if signer.revoked:
            raise Conflict(f"the current signing certificate {signer.serial[:12]} is revoked",
                           hint="`duetto identity rotate` issues a new one")
        root = state.cert(signer.issuer_serial or "")
        if root.revoked:
            raise Conflict(f"the studio's root {root.serial[:12]} is revoked", hint="`duetto identity rotate --root`")
        key = self._load_key(signer, state)
        chain = self.certificate_pem(signer) + self.certificate_pem(root)
        return chain, _key_pem(key, None).decode("ascii"), signer

    # -- changing -----------------------------------------------------------------------------

    def _save(self, state: IdentityState, into: Path | None = None) -> None:
        where = (into or self.dir) / STATE
        temp = where.with_suffix(f".{secrets.token_hex(4)}.tmp")
        temp.write_text(state.model_dump_json(indent=2), encoding="utf-8")
        os.replace(temp, where)

    def ensure(self) -> IdentityState:
        """The identity, made first when there is none (two processes at once: one wins, the
        other uses it)."""
        if self.exists():
            return self.state()
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        staging = self.dir.parent / f".identity-{secrets.token_hex(6)}"
        staging.mkdir(mode=0o700)
        try:
            passphrase = self._ask()
            root_key, root = _root(self.name)
            signer_key, signer = _signer(self.name, root_key, root)
            root_rec = _record(root, "root", f"root-{root.serial_number}.key")
            signer_rec = _record(signer, "signer", f"signer-{signer.serial_number}.key", issuer=root_rec.serial)
            for rec, cert, key in ((root_rec, root, root_key), (signer_rec, signer, signer_key)):
                _write_public(staging / rec.file, _pem(cert))
                _write_private(staging / (rec.key_file or ""), _key_pem(key, passphrase))
            state = IdentityState(name=self.name, encrypted=bool(passphrase), current=signer_rec.serial,
                                  certificates=[root_rec, signer_rec])
            self._save(state, staging)
            try:
                staging.rename(self.dir)
            except OSError:  # someone else made it meanwhile
                if not self.exists():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self.state()

    def rotate(self, *, root: bool = False) -> Certificate:
        """A new signer (under a new root with ``root``); the old signer's key is retired, every
        old certificate is kept."""
        state = self.ensure()
        old = state.signer
        current_root = state.cert(old.issuer_serial or "")
        passphrase = self._ask() if state.encrypted else None
        if root or current_root.revoked:
            root_key, root_cert = _root(self.name)
            root_rec = _record(root_cert, "root", f"root-{root_cert.serial_number}.key")
            _write_public(self.dir / root_rec.file, _pem(root_cert))
            _write_private(self.dir / (root_rec.key_file or ""), _key_pem(root_key, passphrase))
            state.certificates.append(root_rec)
        else:
            root_rec = current_root
            root_key = self._load_key(current_root, state)
            root_cert = x509.load_pem_x509_certificate(self.certificate_pem(current_root).encode("ascii"))
        signer_key, signer = _signer(self.name, root_key, root_cert)
        rec = _record(signer, "signer", f"signer-{signer.serial_number}.key", issuer=root_rec.serial)
        _write_public(self.dir / rec.file, _pem(signer))
        _write_private(self.dir / (rec.key_file or ""), _key_pem(signer_key, passphrase))
        if old.key_file is not None:
            (self.dir / old.key_file).unlink(missing_ok=True)
            old.key_file = None
        state.certificates.append(rec)
        state.current = rec.serial
        self._save(state)
        return rec

    def revoke(self, ref: str, reason: str = "") -> Certificate:
        """Mark the certificate whose serial or fingerprint starts with ``ref`` revoked."""
        state = self.state()
        ref = ref.strip().lower()
        if len(ref) < 6:
            raise InvalidInput("name the certificate by at least 6 characters of its serial or fingerprint",
                               hint="`duetto identity show` lists them")
        found = [c for c in state.certificates if c.serial.startswith(ref) or c.fingerprint.startswith(ref)]
        if not found:
            raise NotFound(f"no certificate of this studio starts with {ref!r}", hint="`duetto identity show` lists them")
        if len(found) > 1:
            raise InvalidInput(f"{ref!r} names {len(found)} certificates; give more characters")
        cert = found[0]
        if cert.revoked:
            return cert
        cert.revoked_at = _now()
        cert.revoked_reason = reason.strip()[:500] or None
        self._save(state)
        return cert
