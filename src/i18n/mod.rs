//! Every text the wallet shows, by key and language. Each language is one exhaustive `match`,
//! so the compiler refuses a key that lacks a translation.

mod en;

/// Languages the wallet speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
}

impl Lang {
    pub const ALL: &'static [Lang] = &[Lang::En];

    /// The BCP 47 tag, for `<html lang>` and date formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
        }
    }

    /// The best supported language for a list of preferences such as `navigator.languages`.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or(tag);
                Lang::ALL.iter().copied().find(|l| l.tag().eq_ignore_ascii_case(primary))
            })
            .unwrap_or(Lang::En)
    }
}

/// A text of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::En => en::text(key),
    }
}

/// A text of a journey screen (built by the engine; kept apart from [`Key`] so the interface
/// module does not carry them). `{name}` placeholders are filled with [`fill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

pub fn msg(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en::msg(msg),
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
        assert_eq!(Lang::negotiate(["xx"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }
}
