"""Settings: built once from a TOML file and RPA_* variables, then passed down.

Where the file is: ``--config PATH``, else ``$RPA_HOME/config.toml`` (missing is
fine: defaults apply). ``RPA_HOME`` defaults to the per-user data folder.

Every key of every section can be overridden by ``RPA_<SECTION>_<KEY>``, for
instance ``RPA_OCR_LANGUAGES=fra`` or ``RPA_LIMITS_MAX_ATTACHMENT_MB=5``.
Secrets (fields marked ``secret``) are never read from the file: they come from
``RPA_<SECTION>_<KEY>`` or from a file named by ``<key>_file`` (in the TOML or as
``RPA_<SECTION>_<KEY>_FILE``). Servers' addresses that may carry a password (`[store] url`,
`[queue] broker_url`) may be in the file, or in a file named the same ways.

No other module reads the environment: they receive a `Settings`.
"""

from rpa.config.limits import LimitSettings
from rpa.config.loading import default_config_text, load_settings
from rpa.config.options import without_password
from rpa.config.sections import (
    ROLES,
    CustomField,
    DaemonSettings,
    DraftingSettings,
    ImapSettings,
    KnowledgeSettings,
    LetterSettings,
    MailRule,
    ModelSettings,
    OcrSettings,
    OidcSettings,
    OpenAISettings,
    ParsingSettings,
    PipelineSettings,
    QueueSettings,
    Settings,
    SmtpSettings,
    StoreSettings,
    WebSettings,
)

__all__ = [
    "Settings",
    "without_password",
    "StoreSettings",
    "OcrSettings",
    "QueueSettings",
    "PipelineSettings",
    "LimitSettings",
    "ParsingSettings",
    "CustomField",
    "DraftingSettings",
    "LetterSettings",
    "ModelSettings",
    "OpenAISettings",
    "KnowledgeSettings",
    "ImapSettings",
    "SmtpSettings",
    "MailRule",
    "DaemonSettings",
    "WebSettings",
    "OidcSettings",
    "ROLES",
    "load_settings",
    "default_config_text",
]
