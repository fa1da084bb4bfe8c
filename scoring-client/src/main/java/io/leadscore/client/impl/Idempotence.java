package io.leadscore.client.impl;

/** Whether the server may be sent a call twice: decides which failures earn the call another attempt. */
enum Idempotence {

    /**
     * Reads, and writes the server recognises when they come again (engagements by event id, adjustments by id,
     * registrations by identical details...): a repeat after a lost answer changes nothing.
     */
    IDEMPOTENT,

    /**
     * Writes that a repeat would do a second time or refuse although the first one worked (a sales transition, a
     * publish): sent again only when the server cannot have acted on the first attempt.
     */
    NOT_IDEMPOTENT
}
