use super::Key;

pub fn text(key: Key) -> &'static str {
    match key {
        Key::AppName => "DOME Wallet",
        Key::SkipToContent => "Skip to content",
        Key::MainNavigation => "Main",
        Key::NavCredentials => "Credentials",
        Key::NavScan => "Scan",
        Key::NavActivity => "Activity",
        Key::NavSettings => "Settings",
        Key::Starting => "Opening your wallet…",
        Key::StartFailed => "The wallet could not start.",
        Key::CredentialsEmpty => "No credentials yet. When your company issues you a credential, scan its QR code or open its link to receive it here.",
        Key::ScanIntro => "Scan the QR code of a credential offer or a login page.",
        Key::ActivityEmpty => "Nothing has happened yet. Credentials you receive and logins you approve will be listed here.",
        Key::PageNotFound => "This page does not exist.",
        Key::GoToCredentials => "Go to your credentials",
        Key::SettingsIdentifiers => "Your identifiers",
        Key::SettingsIdentifiersHelp => "Each key the wallet holds has a decentralised identifier (DID). Issuers bind your credentials to it; the private key never leaves this browser.",
        Key::SettingsNoKeys => "No keys yet.",
        Key::SettingsStorage => "Storage",
        Key::StoragePersistent => "Persistent: the browser will not clear the wallet's data to free space.",
        Key::StorageNotPersistent => "Not persistent: the browser may clear the wallet's data when space runs low. Installing the wallet or bookmarking it usually helps.",
        Key::StorageUnknown => "Checking…",
        Key::SettingsKeyCheck => "Key check",
        Key::SettingsKeyCheckHelp => "Signs a test message with each key and verifies it with the public key in the identifier.",
        Key::KeyCheckRun => "Check keys",
        Key::KeyCheckRunning => "Checking keys…",
        Key::KeyCheckPassed => "Key works",
        Key::KeyCheckFailed => "Key check failed",
        Key::TechnicalDetails => "Technical details",
    }
}
