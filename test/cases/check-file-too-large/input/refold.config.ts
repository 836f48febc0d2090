export default { maxFileBytes: 200 }
