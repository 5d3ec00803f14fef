// A fake model CLI that takes the prompt as an argument: prints its arguments as JSON.
process.stdout.write(JSON.stringify(process.argv.slice(2)));
