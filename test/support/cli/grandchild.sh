#!/bin/sh
# A fake model CLI that spawns a grandchild and hangs: the grandchild's pid goes to the file in $1.
sleep 120 &
echo $! > "$1"
printf 'thinking'
sleep 120
