package io.leadscore.server.scoring;

import java.util.Set;

/** The engagement types Leadscore accepts; anything else is rejected at the API boundary. */
public final class EngagementTypes {

    public static final String PAGE_VIEW = "page_view";
    public static final String CONTENT_DOWNLOAD = "content_download";
    public static final String WEBINAR_REGISTERED = "webinar_registered";
    public static final String WEBINAR_ATTENDED = "webinar_attended";
    public static final String TRIAL_STARTED = "trial_started";
    public static final String DEMO_REQUESTED = "demo_requested";
    public static final String VIDEO_WATCHED = "video_watched";
    public static final String FORM_SUBMITTED = "form_submitted";
    public static final String EMAIL_OPENED = "email_opened";
    public static final String EMAIL_CLICKED = "email_clicked";
    public static final String CART_ADDED = "cart_added";
    public static final String INTERACTIVE_DEMO = "interactive_demo";
    public static final String SOCIAL_FOLLOW = "social_follow";

    public static final Set<String> KNOWN = Set.of(
            PAGE_VIEW, CONTENT_DOWNLOAD, WEBINAR_REGISTERED, WEBINAR_ATTENDED, TRIAL_STARTED, DEMO_REQUESTED,
            VIDEO_WATCHED, FORM_SUBMITTED, EMAIL_OPENED, EMAIL_CLICKED, CART_ADDED, INTERACTIVE_DEMO, SOCIAL_FOLLOW);

    private EngagementTypes() {
    }
}
