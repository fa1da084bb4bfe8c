package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.TreeSet;

/**
 * Opaque resume tokens: the store position of an alert together with the positions still open below it (gaps),
 * so a resumed watch also gets events that committed late, and nothing twice.
 */
final class ResumeTokens {

    private ResumeTokens() {
    }

    static String encode(TrackingToken token) {
        GapAwareTrackingToken position = (GapAwareTrackingToken) token;
        StringBuilder raw = new StringBuilder("v1:").append(position.getIndex()).append(':');
        position.getGaps().forEach(gap -> raw.append(gap).append(','));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    static TrackingToken decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException("unknown token version");
            }
            TreeSet<Long> gaps = new TreeSet<>();
            for (String gap : parts[2].split(",")) {
                if (!gap.isEmpty()) {
                    gaps.add(Long.parseLong(gap));
                }
            }
            return GapAwareTrackingToken.newInstance(Long.parseLong(parts[1]), gaps);
        } catch (RuntimeException e) {
            throw new LeadscoreException(ErrorCode.INVALID_ARGUMENT, "resume_token", "is not a resume token");
        }
    }
}
