// A state file outside .refold/, so the case's runner leaves the torn file to the command.
export default { emulator: { state: 'emulator-state.json' } }
