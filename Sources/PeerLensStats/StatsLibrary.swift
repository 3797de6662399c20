import CGSL

/// The numeric library the statistics are computed with, for provenance blocks.
public enum StatsLibrary {
    /// The version of the GNU Scientific Library linked at run time (e.g. `2.7.1`).
    public static var gslVersion: String { String(cString: peerlens_gsl_version()) }
}
