from gorig.cli import main

raise SystemExit(main())
