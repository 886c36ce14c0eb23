"""All configuration in one object.

Values come from keyword arguments, then ``DUETTO_*`` environment variables, then defaults, so a
test can build a studio in a temp dir without touching the environment.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from duetto.share_rule import ShareRule


def _default_user() -> str:
    try:
        return getpass.getuser() or "artist"
    except (KeyError, OSError):  # no passwd entry in some containers
        return "artist"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUETTO_", extra="ignore")

    home: Path = Field(default=Path("duetto-studio"), description="Studio directory.")
    database_url: str | None = Field(
        default=None, description="Any SQLAlchemy URL; default is SQLite (WAL) inside home."
    )
    user: str = Field(default_factory=_default_user, description="Who is working (the human author).")
    project: str = Field(default="default", description="Project new works are filed under.")
    model_cache: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "duetto",
        description="Where embedded models are joined (under models/); shared by every studio.",
    )
    threads: int = Field(default=2, ge=1, le=256, description="CPU threads for local models.")
    llm_model: str = Field(
        default="qwen2.5-coder-1.5b",
        description="Embedded model name (duetto models list), or the server's model with llm_url.",
    )
    llm_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible server (Ollama, llama.cpp, vLLM); key from "
        "DUETTO_LLM_API_KEY. Unset: the embedded model runs inside duetto.",
    )
    llm_timeout: float = Field(default=120.0, gt=0, description="Seconds before a server request fails.")
    parser: Literal["rules", "llm"] = Field(
        default="rules",
        description="How briefs and feedback are understood: rules only (instant), or rules merged "
        "with the language model (subject, imagery, mood nuance, poem form; ~8 s a brief on 2 cores).",
    )
    diffusion_models: dict[str, Path] = Field(
        default_factory=dict,
        description='Names for diffusers model folders on disk, e.g. DUETTO_DIFFUSION_MODELS=\'{"sd15": '
        '"/models/sd15"}\'; then --param model=sd15. Folders under <model_cache>/diffusion/ need no entry.',
    )
    session_days: int = Field(
        default=14, ge=1, le=365, description="How long a browser login lasts before it must be renewed."
    )
    diffusion_paths: bool = Field(
        default=True, description="Whether a request may name a diffusion model by its folder path. `duetto serve` "
        "turns it off: people on the web name registered models, never folders on the server's disk.")
    default_engines: dict[str, str] = Field(
        default_factory=lambda: {"painting": "painter", "poem": "poet", "story": "storyteller",
                                 "script": "screenwriter", "music": "composer", "design": "layout"},
        description="The engine each medium uses when none is named (env: JSON).")
    upload_max_bytes: int = Field(default=20_000_000, ge=1, description="Largest upload the HTTP API reads.")
    upload_max_pixels: int = Field(default=40_000_000, ge=1, description="Largest image (w×h) the API imports.")
    soundfont: Path | None = Field(
        default=None,
        description="General MIDI .sf2 for rendering music; default: the Debian fluid-soundfont-gm",
    )

    share_rule: ShareRule = Field(
        default_factory=ShareRule,
        description='How contributions weigh into shares and splits (duetto.studio.shares), e.g. '
        'DUETTO_SHARE_RULE=\'{"weights": {"human:edit": 8, "ai:generation": 2}, "engines_hold_shares": true}\'.')

    identity_name: str = Field(default="duetto studio", min_length=1, max_length=64,
                               description="The organisation named in the studio's signing certificates.")
    identity_passphrase: SecretStr | None = Field(
        default=None, description="Encrypts the signing keys when the identity is made, and opens them to sign "
        "(DUETTO_IDENTITY_PASSPHRASE); unset: the CLI asks on a terminal, or the keys are stored unencrypted.")
    trust_anchors: Path | None = Field(
        default=None, description="A PEM file of other studios' roots that verify trusts, besides this studio's.")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home.resolve() / 'studio.db'}"

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def sheet_dir(self) -> Path:
        return self.home / "sheets"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"
