from studio.cli.main import main

# Guarded: worker processes started with "spawn" import this module and must not re-run the CLI.
if __name__ == "__main__":
    raise SystemExit(main())
