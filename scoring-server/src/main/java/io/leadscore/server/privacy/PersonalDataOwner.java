package io.leadscore.server.privacy;

/** An object that belongs to one lead: the key of its {@link PersonalData} fields is that lead's. */
public interface PersonalDataOwner {

    String leadId();
}
