package io.leadscore.client.imports;

import java.util.List;

/**
 * What an import did.
 *
 * @param rows       source rows read (without headers)
 * @param leads      leads sent
 * @param changed    leads that gained at least one event
 * @param unchanged  leads already stored exactly so (a repeated import)
 * @param writes     events stored: facts and the stages they earned (0 when everything was stored before)
 * @param rejections rows or leads that were refused, with line numbers
 */
public record ImportSummary(long rows, long leads, long changed, long unchanged, long writes,
                            List<Rejection> rejections) {

    public long rejected() {
        return rejections.size();
    }
}
