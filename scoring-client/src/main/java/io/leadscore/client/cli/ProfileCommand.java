package io.leadscore.client.cli;

import io.leadscore.v1.Profile;
import io.leadscore.v1.Seniority;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.UpdateProfileResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code leadscore profile}: replaces a lead's fit profile. */
@Command(name = "profile", description = "Replace a lead's fit profile (fields not given become unknown).")
final class ProfileCommand extends LeadscoreSubcommand {

    @Parameters(index = "0", description = "Lead id.")
    String leadId;
    @Option(names = "--title", defaultValue = "", description = "Job title.")
    String title;
    @Option(names = "--seniority", defaultValue = "unspecified", converter = ProtoEnumConverter.Seniority.class,
            description = "individual_contributor, manager, director, vp, c_level or owner.")
    Seniority seniority;
    @Option(names = "--department", defaultValue = "", description = "Department.")
    String department;
    @Option(names = "--company-size", defaultValue = "0", description = "Employees.")
    int companySize;
    @Option(names = "--industry", defaultValue = "", description = "Industry.")
    String industry;
    @Option(names = "--revenue", defaultValue = "0", description = "Annual revenue in USD.")
    long revenue;
    @Option(names = "--country", defaultValue = "", description = "ISO 3166-1 alpha-2 country code.")
    String country;
    @Option(names = "--tech", description = "A technology the company uses (repeatable).")
    List<String> technologies = List.of();
    @Option(names = "--intent", description = "An intent signal such as funding or hiring (repeatable).")
    List<String> intents = List.of();

    @Override
    public Integer call() {
        return run((client, out) -> {
            Profile profile = Profile.newBuilder()
                    .setJobTitle(title)
                    .setSeniority(seniority)
                    .setDepartment(department).setCompanySize(companySize).setIndustry(industry)
                    .setAnnualRevenueUsd(revenue).setCountry(country)
                    .addAllTechnologies(technologies).addAllIntentSignals(intents).build();
            UpdateProfileResponse response = client.updateProfile(
                    UpdateProfileRequest.newBuilder().setLeadId(leadId).setProfile(profile).build());
            if (cli.json) {
                Output.json(out, response);
            } else {
                Output.scores(out, List.of(response.getScore()));
            }
        });
    }
}
