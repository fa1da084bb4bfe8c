package io.leadscore.server.privacy;

/**
 * What an erased personal value reads as, everywhere: in events whose lead was erased, and when a value's key is
 * gone. A type of its own so that records which only need to say "erased" know nothing of keys and vaults.
 */
public final class Erased {

    /** The value shown in place of erased personal data. */
    public static final String VALUE = "[erased]";

    private Erased() {
    }
}
