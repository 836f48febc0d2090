export default { emulator: { workflows: 'workflows.yaml' } }
