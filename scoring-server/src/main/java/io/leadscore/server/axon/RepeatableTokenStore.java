package io.leadscore.server.axon;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

import java.util.List;
import java.util.Optional;

/**
 * A token store on which storing the token it already holds succeeds.
 * <p>
 * {@code MongoTokenStore.storeToken} counts the documents its update <em>modified</em>, not those it matched: storing
 * the token a segment already holds, claimed by this node, in the same millisecond as the claim (owner, timestamp and
 * token all unchanged) modifies nothing, and it reports that the token cannot be claimed. A publish that rebuilds the
 * projection twice with no event in between does exactly that on a fast store (the second reset writes the replay
 * token the first one wrote), and failed with {@code INTERNAL}. When the store refuses, this one claims the segment
 * again and accepts the refusal as success if the token there is the one asked for; a segment owned by another node
 * still fails, since the claim does.
 */
final class RepeatableTokenStore implements TokenStore {

    private final TokenStore delegate;

    RepeatableTokenStore(TokenStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        try {
            delegate.storeToken(token, processorName, segment);
        } catch (UnableToClaimTokenException refused) {
            TrackingToken held = delegate.fetchToken(processorName, segment);
            if (!java.util.Objects.equals(held, token)) {
                throw refused;
            }
        }
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        delegate.deleteToken(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return delegate.retrieveStorageIdentifier();
    }
}
