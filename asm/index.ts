// AssemblyScript DSP core (entry). Filled in by the foundation issue.
export function version(): i32 { return 1; }
