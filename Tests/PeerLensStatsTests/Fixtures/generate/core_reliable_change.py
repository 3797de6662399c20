"""Published worked examples of the Jacobson & Truax (1991) reliable change index and clinical cut-offs, typed in.

Nothing is computed here: this script is the committed record of which published numbers the tests in
ReliableChangeReferenceTests.swift reproduce and where each one was read. It writes ../core_reliable_change.json.
Each case keeps the inputs and the outputs exactly as printed, how many decimals they were printed with, and short
quotes of the sentences they come from. Read through the `search` tool's stored copies of the pages named below
(checked 2026-12-01).

What could NOT be used, so nobody goes looking for it here:
- Jacobson & Truax (1991), J Consult Clin Psychol 59(1):12-19 itself. The stored copy at
  https://info.5y1.org/statistically-significant-vs-clinically-significant_1_6a0c99.html holds only the title page,
  abstract and the first paragraphs of the introduction; its worked example (the Table 2 DAS couples, SE, S_diff, RC)
  and its numeric cut-offs were not in any stored copy found. Two GitHub transcriptions of its Table 2 pre/post DAS
  scores exist (AWKruijt/JT-RCI data/J&T 1991 table2 DAS data.csv; uqmpatel/mindmetrics R/data.R) and agree, but
  neither gives the paper's published SE, S_diff, RC or cut-offs, so they are not a reference for those.
- Anderson et al. (2014), J Marital Fam Ther 40(4):525-534, RDAS: the abstract gives the outputs ("a cutoff of 47.31
  and reliable change index of 11.58") but the stored copy stops before the SDs, means and reliability they came from.
- NHS Talking Therapies (IAPT) PHQ-9 6-point / GAD-7 4-point thresholds: no stored source with their inputs was found.
"""
from core_common import write_fixture

reliable_change = [
    {
        # Wodrich, D. L. (open textbook, University of Arizona), "Appendix E: How to Calculate Reliable Change
        # Indexes (RCIs)", Table A.3.1, using the Piers-Harris-2 Total Score SEM from Piers & Herzberg (2002).
        # https://opentextbooks.library.arizona.edu/wodrichseas/back-matter/how-to-calculate-a-reliable-change-index-rci
        # The example starts from the SEM (SE = SD·sqrt(1 - r)), not from SD and r.
        "name": "wodrich_piers_harris_2",
        "source": "Wodrich, open textbook (University of Arizona), Appendix E 'How to Calculate Reliable Change "
                  "Indexes (RCIs)', Table A.3.1 'Steps in Calculating Reliable Change Index'; "
                  "https://opentextbooks.library.arizona.edu/wodrichseas/back-matter/how-to-calculate-a-reliable-change-index-rci",
        "quotes": [
            "the Total Score SEM is 3.07 (Piers & Herzberg, 2002)",
            "Step 4 Calculate square root of Step 3 4.34",
            "Step 5 Multiply value of Step 4 by 1.96 (for .05 confidence level) 4.34 X 1.96 = 8.51",
            "Step 6 Subtract pretest from post-test score 35 – 24 = 11",
            "Step 7 If a pre-post score difference > than 8.51, then a reliable change would be detected "
            "Reliable change was detected",
        ],
        "inputs": {"standard_error_of_measurement": 3.07, "before": 24, "after": 35, "z": 1.96},
        # Intermediate steps as printed: SEM^2 = 9.42 (Step 2), x 2 = 18.84 (Step 3).
        "published": {"sem_squared": 9.42, "twice_sem_squared": 18.84, "s_diff": 4.34, "threshold": 8.51,
                      "change": 11, "reliable": True},
        "decimals": 2,
    },
]

cutoffs = [
    {
        # Claus, B., "Clinical Significance Cutoffs", vignette of the R package clinicalsignificance (CRAN),
        # section "Jacobson & Truax"; read at the CRAN mirror page and in the vignette source
        # pedscience/clinicalsignificance vignettes/clinical-significance-cutoffs.Rmd (commit 1e458b91).
        # Lower scores are better ("a lower depression score is beneficial to the patient").
        # The vignette writes b = M_fun + 2 SD_clin; Jacobson & Truax's b is the functional population's range
        # (M_fun + 2 SD_fun). The two SDs are equal here (7), so the example cannot tell them apart, nor can it tell
        # the weighting in c from its reverse; the tests add a property check for unequal SDs.
        "name": "claus_vignette_depression",
        "source": "Claus, 'Clinical Significance Cutoffs', vignette of the R package clinicalsignificance (CRAN), "
                  "section 'Jacobson & Truax'; "
                  "http://ftp.eenet.ee/pub/cran/web/packages/clinicalsignificance/vignettes/clinical-significance-cutoffs.html; "
                  "source: github.com/pedscience/clinicalsignificance vignettes/clinical-significance-cutoffs.Rmd",
        "quotes": [
            "the clinical population (red line) can be described as a normal distribution with M = 32 and an SD = 7. "
            "The functional population (blue line) can be described as a normal distribution with M = 10 and SD = 7.",
            # The next three are display formulas, written in the vignette as LaTeX; rendered here.
            "a = M_clin - 2 SD_clin; a = 32 - 2·7; a = 18",
            "b = M_fun + 2 SD_clin; b = 10 + 2·7; b = 24",
            "c = (SD_fun M_clin + SD_clin M_fun)/(SD_fun + SD_clin); c = (7·32 + 7·10)/(7 + 7); c = 21",
            "In this example, a lower depression score is beneficial to the patient.",
        ],
        "inputs": {"dysfunctional_mean": 32, "dysfunctional_sd": 7, "functional_mean": 10, "functional_sd": 7,
                   "lower_is_better": True},
        "published": {"a": 18, "b": 24, "c": 21},
        "decimals": 0,
    },
]

write_fixture("core_reliable_change.json", {
    "reliable_change": reliable_change,
    "cutoffs": cutoffs,
    "not_found": [
        "Jacobson & Truax (1991) worked example (SE, S_diff, RC for the Table 2 DAS data) and numeric cut-offs: "
        "no stored copy of those pages",
        "Anderson et al. (2014) RDAS: outputs 47.31 and 11.58 read in the abstract, inputs not available",
        "NHS Talking Therapies / IAPT PHQ-9 (6) and GAD-7 (4) reliable-change thresholds: inputs not found",
    ],
    "versions": {"typed_in": "2026-12-01"},
})
