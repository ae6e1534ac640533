/// The commented starter `.policycheck.yml` that `policycheck init` writes.
///
/// Every key of `Configuration.allowedKeys` is documented here; the keys left active are the
/// defaults, so the file loads as it is and changes nothing until edited.
public enum ConfigurationTemplate {
    public static let starter = """
        # policycheck configuration, found in this folder or any folder above it
        # (or named with --config FILE). Every key is optional; a flag on the
        # command line wins over the key. Relative paths are relative to this file.
        schema_version: 1

        # The rule pack folder. Default: the bundled 绍政发〔2022〕6号 pack.
        # pack: rules/shaoxing-2022-6

        # A parameter profile of the pack: central-default or zhejiang-shaoxing.
        # profile: zhejiang-shaoxing

        # Parameter overrides, by name (see `policycheck rules show ID` for a rule's parameters).
        # A value may carry its unit, which is checked against the parameter's.
        # params:
        #   public_comment_min_days: 30
        #   legality_review_min_workdays: { value: 7, unit: workdays }

        # Rules the pack ships turned off (enabled: false) that this project wants on.
        enable_rules: []

        # The lowest severity that fails the run (exit 1): error, warning or info.
        fail_on: error

        # The language of messages and reports: zh or en.
        lang: zh

        # The format written to standard output:
        # text, json, sarif, junit, github, markdown, csv or html.
        format: text

        # Report files written as well, one per format, when the command line names
        # no --format, -o or --output-dir. A CI job uploads them.
        # formats:
        #   sarif: build/policycheck.sarif
        #   junit: build/policycheck-junit.xml
        #   html: build/policycheck.html

        # Accepted exceptions (豁免), each with its reason, approver, approval document
        # number (批复文号) and expiry date. --no-waivers shows the raw result.
        # waivers: waivers.yaml

        # Findings accepted as of the day the baseline was written: the run fails only
        # on findings not in it. Write it with --write-baseline FILE.
        # baseline: policycheck-baseline.json

        """
}
