//! Every text the wallet shows, by key and language.
//!
//! English is compiled in (one exhaustive `match`, so no key lacks it). The other languages are
//! JSON files, `public/i18n/<lang>.json`, loaded when the user's language needs them, so the start
//! page does not carry five translations it will not use; a test checks that every file has every
//! text with the same placeholders.

mod en;
mod tables;

pub use tables::{install_journey, install_shell, is_installed, Section};

/// Languages the wallet speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
    Ca,
    De,
    Fr,
    It,
}

impl Lang {
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::Es, Lang::Ca, Lang::De, Lang::Fr, Lang::It];

    /// The BCP 47 tag, for `<html lang>`, date formatting and the name of the translation file.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Ca => "ca",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::It => "it",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Ca => "Català",
            Lang::De => "Deutsch",
            Lang::Fr => "Français",
            Lang::It => "Italiano",
        }
    }

    /// The language of a tag such as `es-ES`, when the wallet speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        Lang::ALL
            .iter()
            .copied()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The best supported language for a list of preferences such as `navigator.languages`.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }
}

/// An enum of text identifiers with the list of all of them and their names, which are the keys
/// of the translation files (`public/i18n/<lang>.json`).
macro_rules! text_ids {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant),)* }
            }
        }
    };
}

text_ids! {
/// A text of the user interface.
pub enum Key {
    AppName,
    SkipToContent,
    MainNavigation,
    NavCredentials,
    NavScan,
    NavActivity,
    NavSettings,
    Starting,
    StartFailed,
    StartNewerVersion,
    StartStorageUnavailable,
    StartCryptoUnavailable,
    StartRetry,
    CredentialsEmpty,
    ScanIntro,
    ActivityEmpty,
    PageNotFound,
    GoToCredentials,
    SettingsLanguage,
    SettingsLanguageLabel,
    SettingsIdentifiers,
    SettingsIdentifiersHelp,
    SettingsNoKeys,
    SettingsStorage,
    StoragePersistent,
    StorageNotPersistent,
    StorageUnknown,
    StorageAtRisk,
    SettingsKeyCheck,
    SettingsKeyCheckHelp,
    SettingsRegistry,
    SettingsRegistryHelp,
    RegistryLabel,
    RegistrySave,
    RegistrySaved,
    RegistryOff,
    RegistryInvalid,
    KeyCheckRun,
    KeyCheckRunning,
    KeyCheckPassed,
    KeyCheckFailed,
    TechnicalDetails,
    // A journey starting (the engine shows the rest)
    OpeningTitle,
    Opening,
    FailedTitle,
    Back,
    // Credentials
    CredentialsList,
    TypeEmployeeMandate,
    TypeMachineMandate,
    TypeCertification,
    StatePending,
    StateValid,
    StateNotYetValid,
    StateExpired,
    StateRevoked,
    StateSuspended,
    StateNotChecked,
    StateUnchecked,
    LastChecked,
    CheckStatus,
    CheckingStatus,
    ValidUntil,
    PasteLabel,
    PasteHelp,
    PasteOpen,
    // Scanning with the camera, or from an image
    ScanCamera,
    ScanPicture,
    ScanStarting,
    ScanLooking,
    ScanOff,
    ScanStart,
    ScanStop,
    ScanChooseCamera,
    ScanRetry,
    ScanDenied,
    ScanDeniedHelp,
    ScanMissing,
    ScanMissingHelp,
    ScanBusy,
    ScanBusyHelp,
    ScanUnavailable,
    ScanUnavailableHelp,
    ScanFailed,
    ImageLabel,
    ImageHelp,
    ImageReading,
    ImageNoCode,
    ImageUnreadable,
    // Opening wallet links
    LinksTitle,
    LinksRegister,
    LinksHelp,
    LinksAsked,
    LinksRefused,
    // Activity
    ActivityList,
    ActivityReceived,
    ActivityAccepted,
    ActivityOffer,
    ActivityLogin,
    ActivityDeleted,
    ActivityClaims,
    OutcomeSuccess,
    OutcomePending,
    OutcomeDeclined,
    OutcomeFailed,
    // The wallet lock
    LockTitle,
    LockText,
    LockWaiting,
    LockPassphrase,
    LockUnlock,
    LockUnlockPasskey,
    LockUnlocking,
    LockWrong,
    LockWait,
    LockFailed,
    LockRefused,
    SettingsLock,
    SettingsLockHelp,
    LockNewPassphrase,
    LockRepeatPassphrase,
    LockCurrentPassphrase,
    LockTurnOn,
    LockTurnOnPasskey,
    LockOnPassphrase,
    LockOnPasskey,
    LockOnBoth,
    LockNow,
    LockAfter,
    LockNever,
    LockMinute1,
    LockMinutes5,
    LockMinutes15,
    LockHour1,
    LockChangeHelp,
    LockChangePassphrase,
    LockSetPassphrase,
    LockAddPasskey,
    LockRemovePasskey,
    LockTurnOff,
    LockTooShort,
    LockTooLong,
    LockMismatch,
    LockNeedCurrent,
    LockWorking,
    LockSaved,
    LockTurnedOn,
    LockTurnedOff,
    LockPasskeyUnsupported,
    LockPasskeyCancelled,
    LockPasskeyNoPrf,
}
}

pub fn text(lang: Lang, key: Key) -> &'static str {
    tables::translated(lang, Section::Shell, key as usize).unwrap_or_else(|| en::text(key))
}

text_ids! {
/// A text of a journey screen (built by the engine; kept apart from [`Key`] so the interface
/// module does not carry them). `{name}` placeholders are filled with [`fill`].
pub enum Msg {
    Back,
    Close,
    FailedTitle,
    NotWalletTitle,
    NotWalletText,
    // Receiving a credential
    OfferTitle,
    OfferedBy,
    OfferText,
    OfferedCredentials,
    IssuerUnverifiedName,
    PinLabel,
    PinHelp,
    PinLength,
    Accept,
    Cancel,
    Receiving,
    ReceivedTitle,
    ReceivedText,
    PendingTitle,
    PendingText,
    SeeCredentials,
    TypeEmployeeMandate,
    TypeMachineMandate,
    TypeCertification,
    // Presenting a credential
    ConsentTitle,
    AskedBy,
    AnswersGoTo,
    VerifierSignedByDid,
    VerifierSignedByCertificate,
    VerifierUnverified,
    Purpose,
    ChooseCredential,
    WillShare,
    ClaimsShared,
    WholeCredentialShared,
    Share,
    Sending,
    Decline,
    Declining,
    NoMatchTitle,
    NoMatchText,
    SharedTitle,
    AlreadyAnswered,
    // A credential in plain words
    MandateSummary,
    Powers,
    PowerSentence,
    PowerSentenceNoDomain,
    PowerSentenceNoAction,
    PowerSentenceNoActionNoDomain,
    PowerRoles,
    PowerRolesNoDomain,
    And,
    // Actions and roles in power sentences
    ActionExecute,
    ActionCreate,
    ActionUpdate,
    ActionDelete,
    ActionRead,
    ActionUpload,
    ActionDownload,
    ActionAttest,
    ActionSign,
    ActionIssue,
    ActionRevoke,
    ActionManage,
    ActionSubmit,
    ActionApprove,
    RoleOperator,
    RoleCustomer,
    RoleProvider,
    RoleMarketplace,
    Mandator,
    Mandatee,
    Claims,
    FieldName,
    FieldOrganisation,
    FieldOrganisationId,
    FieldCountry,
    FieldEmail,
    FieldEmployeeId,
    FieldService,
    FieldDomain,
    FieldIpAddress,
    FieldIdentifier,
    Validity,
    ValidFrom,
    ValidUntil,
    Issuer,
    // A credential's status
    Status,
    StateValid,
    StateNotChecked,
    StateCouldNotCheck,
    StateNotYetValid,
    StatePending,
    StateSuspended,
    StateExpired,
    StateRevoked,
    LastChecked,
    LastCheckedNever,
    StatusUnreachable,
    StatusInvalid,
    StatusUnsupported,
    StatusNoList,
    CheckStatus,
    CheckingStatus,
    Registry,
    RegistryListed,
    RegistryListedFor,
    RegistryNotListed,
    RegistryUnchecked,
    CertificateSubject,
    CertificateIssuer,
    Signature,
    SignatureVerified,
    Holder,
    RawCredential,
    DeleteCredential,
    DeleteTitle,
    DeleteWarning,
    DeleteNotifiesIssuer,
    Deleting,
    Keep,
    // What went wrong, and what to do
    IssuerTimeout,
    IssuerTooLarge,
    IssuerUnreachable,
    OfferUsedOrExpired,
    IssuerNeedsEncryption,
    IssuerMetadataInvalid,
    CredentialKindUnsupported,
    PinRequired,
    PinMalformed,
    PinRejected,
    IssuerNeedsDpop,
    IssuerRefused,
    IssuerAnswerUnreadable,
    PendingUnknown,
    OfferNeedsSignIn,
    OfferNoGrant,
    OfferIssuerInsecure,
    OfferNoCredential,
    OfferBadPin,
    OfferUnreadable,
    DataUnreadable,
    CertificateUnreadable,
    CryptoUnavailable,
    KeysUnusable,
    StorageNewerVersion,
    StorageUnavailable,
    StorageFailed,
    LockWrongSecret,
    WalletLocked,
    PeerTimeout,
    PeerTooLarge,
    PeerUnreachable,
    OfferUriInsecure,
    LinkInvalid,
    CredentialUnreadable,
    CredentialTwoIssuers,
    CredentialIssuerUncheckable,
    CredentialBadSignature,
    CredentialCheckFailed,
    CredentialSealMismatch,
    CredentialNotYetValid,
    CredentialExpired,
    CredentialOtherHolder,
    CredentialWrongType,
    RequestUnreadable,
    RequestInsecure,
    RequestFetchFailed,
    RequestTooLarge,
    VerifierTooLarge,
    VerifierUnreachable,
    RequestUnverified,
    VerifierKindUnsupported,
    RequestExpired,
    RequestNotYetValid,
    ResponseModeUnsupported,
    TransactionDataUnsupported,
    SelectionInvalid,
    PresentHolderMismatch,
    EncryptionFailed,
    VerifierRejected401,
    VerifierRejectedRevoked,
    VerifierRejected500,
    VerifierRejected,
    AnswerFailed,
    SignedInElsewhere,
    ContinuingAtVerifier,
    RedirectRefused,
    QueryUnreadable,
    QueryEmpty,
    QueryUnknownScope,
    QueryUnsupported,
    QueryNoMatch,
}
}

pub fn msg(lang: Lang, msg: Msg) -> &'static str {
    tables::translated(lang, Section::Journey, msg as usize).unwrap_or_else(|| en::msg(msg))
}

#[cfg(test)]
impl Msg {
    /// The English text, for tests that read what the user is told.
    pub fn en(self) -> &'static str {
        en::msg(self)
    }
}

/// Replaces `{name}` placeholders in a template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_once_each() {
        assert_eq!(fill("{a} and {b}", &[("a", "x"), ("b", "{a}")]), "x and {a}");
    }

    #[test]
    fn negotiates_from_browser_preferences() {
        assert_eq!(Lang::negotiate(["en-GB", "es"]), Lang::En);
        assert_eq!(Lang::negotiate(["ca-ES", "es"]), Lang::Ca);
        assert_eq!(Lang::negotiate(["pt-BR", "de_AT"]), Lang::De);
        assert_eq!(Lang::negotiate(["xx"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }

    /// The translation files, as the build copies them (`public/i18n/`).
    fn files() -> Vec<(Lang, serde_json::Value)> {
        let file = |lang, text: &str| {
            (
                lang,
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{lang:?}: {e}")),
            )
        };
        vec![
            file(Lang::Es, include_str!("../../public/i18n/es.json")),
            file(Lang::Ca, include_str!("../../public/i18n/ca.json")),
            file(Lang::De, include_str!("../../public/i18n/de.json")),
            file(Lang::Fr, include_str!("../../public/i18n/fr.json")),
            file(Lang::It, include_str!("../../public/i18n/it.json")),
        ]
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_language_has_every_text_with_the_same_placeholders() {
        let english: Vec<(Section, &str, &str)> = Key::ALL
            .iter()
            .map(|&k| (Section::Shell, k.id(), en::text(k)))
            .chain(
                Msg::ALL
                    .iter()
                    .map(|&m| (Section::Journey, m.id(), en::msg(m))),
            )
            .collect();
        assert_eq!(
            Lang::ALL.len(),
            files().len() + 1,
            "a file per language besides English"
        );
        for (lang, file) in files() {
            for (section, id, en) in &english {
                let text = file[section.name()][id]
                    .as_str()
                    .unwrap_or_else(|| panic!("{lang:?} lacks {}.{id}", section.name()));
                assert!(!text.trim().is_empty(), "{lang:?} {id} is empty");
                assert_eq!(
                    placeholders(text),
                    placeholders(en),
                    "{lang:?} {id}: placeholders differ from English"
                );
            }
            for section in [Section::Shell, Section::Journey] {
                let known: Vec<&str> = english
                    .iter()
                    .filter(|(s, ..)| *s == section)
                    .map(|(_, id, _)| *id)
                    .collect();
                let members = file[section.name()]
                    .as_object()
                    .map(|o| o.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default();
                let unknown: Vec<&String> = members
                    .iter()
                    .filter(|m| !known.contains(&m.as_str()))
                    .collect();
                assert!(
                    unknown.is_empty(),
                    "{lang:?} has texts the wallet does not use: {unknown:?}"
                );
            }
        }
    }

    #[test]
    fn installed_languages_answer_and_english_fills_gaps() {
        let (_, spanish) = files().into_iter().find(|(l, _)| *l == Lang::Es).unwrap();
        assert!(!is_installed(Lang::Es, Section::Shell));
        // Until installed, and for texts a file lacks, English answers.
        assert_eq!(text(Lang::Es, Key::NavCredentials), "Credentials");
        // As the build writes the file: the texts in the order of the ids.
        let shell = |index: usize| {
            let id = Key::ALL[index].id();
            if id == "NavScan" { None } else { spanish["shell"][id].as_str().map(str::to_owned) }
        };
        install_shell(Lang::Es, shell);
        assert!(is_installed(Lang::Es, Section::Shell));
        // Each section on its own: the journey's texts are not there yet.
        assert!(!is_installed(Lang::Es, Section::Journey));
        assert_eq!(msg(Lang::Es, Msg::PinRejected), en::msg(Msg::PinRejected));
        install_journey(Lang::Es, |index| spanish["journey"][Msg::ALL[index].id()].as_str().map(str::to_owned));
        assert!(is_installed(Lang::Es, Section::Journey));
        assert_eq!(text(Lang::Es, Key::NavCredentials), "Credenciales");
        assert_eq!(text(Lang::Es, Key::NavScan), "Scan");
        assert_eq!(
            msg(Lang::Es, Msg::PinRejected),
            spanish["journey"]["PinRejected"].as_str().unwrap()
        );
        assert_eq!(text(Lang::En, Key::NavCredentials), "Credentials");
    }
}
