package io.leadscore.server.scoring;

import io.leadscore.server.privacy.ScoredPersonalData;

import java.util.List;

/**
 * Who a lead is: the fit data a scoring model's fit rules read. Empty strings and zeros mean "unknown".
 *
 * @param jobTitle         job title as given: personal (with the company it names one person), so stored sealed and
 *                         read back open while the lead's key exists, empty (unknown) once it is erased
 * @param seniority        seniority of the role
 * @param department       department, lower case
 * @param companySize      employees at the company
 * @param industry         industry, lower case
 * @param annualRevenueUsd company revenue per year in US dollars
 * @param country          ISO 3166-1 alpha-2 code
 * @param technologies     technologies the company uses, lower case
 * @param intentSignals    intent signals such as {@code funding} or {@code hiring}
 */
public record FitProfile(@ScoredPersonalData String jobTitle,
                         Seniority seniority,
                         String department,
                         int companySize,
                         String industry,
                         long annualRevenueUsd,
                         String country,
                         List<String> technologies,
                         List<String> intentSignals) {

    /** The profile of a lead nobody has described yet. */
    public static final FitProfile EMPTY =
            new FitProfile("", Seniority.UNKNOWN, "", 0, "", 0, "", List.of(), List.of());

    /** The same profile with the job title unknown: what is left of it once the lead is erased. */
    public FitProfile withoutJobTitle() {
        return new FitProfile("", seniority, department, companySize, industry, annualRevenueUsd, country, technologies,
                              intentSignals);
    }

    public FitProfile {
        jobTitle = SharedStrings.of(jobTitle);
        department = SharedStrings.of(department);
        industry = SharedStrings.of(industry);
        country = SharedStrings.of(country);
        technologies = SharedStrings.of(technologies);
        intentSignals = SharedStrings.of(intentSignals);
    }
}
