// A fake model CLI that fails: a message on stderr (with a key it should not have printed), exit 3.
process.stderr.write('fatal: model not loaded (key sk-proj-LEAKEDKEY0123456789abcdef)\n');
process.exit(3);
