package io.leadscore.server.grpc;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The ISO code lists requests are checked against, as the JDK ships them. */
final class IsoCodes {

    /** ISO 3166-1 alpha-2 country codes, such as DE. */
    static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** Alpha-3 codes (DEU) to alpha-2 (DE), to tell a caller which code it meant. */
    static final Map<String, String> ALPHA3_TO_ALPHA2 = COUNTRIES.stream().collect(Collectors.toUnmodifiableMap(
            country -> new Locale("", country).getISO3Country(), country -> country, (first, second) -> first));
    /** ISO 4217 currency codes, such as EUR. */
    static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode)
                                                  .collect(Collectors.toUnmodifiableSet());

    private IsoCodes() {
    }
}
