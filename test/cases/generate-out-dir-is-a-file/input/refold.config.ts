export default { outDir: 'generated' }
