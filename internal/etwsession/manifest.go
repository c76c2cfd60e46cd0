package etwsession

import "slices"

// Microsoft-Windows-Kernel-File keywords, from the provider's manifest
// (`logman query providers Microsoft-Windows-Kernel-File` lists them; the
// manifest's events, each with its keywords, are in
// `wevtutil gp Microsoft-Windows-Kernel-File /ge /gm`). Microsoft
// publishes no reference page for this provider: the manifest on the
// machine is the source.
const (
	KernelFileKeywordFileName          = 0x10   // KERNEL_FILE_KEYWORD_FILENAME
	KernelFileKeywordFileIO            = 0x20   // KERNEL_FILE_KEYWORD_FILEIO
	KernelFileKeywordCreate            = 0x80   // KERNEL_FILE_KEYWORD_CREATE
	KernelFileKeywordRead              = 0x100  // KERNEL_FILE_KEYWORD_READ
	KernelFileKeywordWrite             = 0x200  // KERNEL_FILE_KEYWORD_WRITE
	KernelFileKeywordRenameSetLinkPath = 0x800  // KERNEL_FILE_KEYWORD_RENAME_SETLINK_PATH
	KernelFileKeywordCreateNewFile     = 0x1000 // KERNEL_FILE_KEYWORD_CREATE_NEW_FILE
)

// kernelFileEventKeywords is the keyword mask each Microsoft-Windows-Kernel-File
// event hvrdoctor uses carries in the manifest. Close (14) carries only
// FILEIO and RenamePath (27) only RENAME_SETLINK_PATH, so a session that
// asks for them by event ID alone, without those keywords, never gets them.
var kernelFileEventKeywords = map[uint16]uint64{
	10: KernelFileKeywordFileName,                         // NameCreate
	11: KernelFileKeywordFileName,                         // NameDelete
	12: KernelFileKeywordFileIO | KernelFileKeywordCreate, // Create
	14: KernelFileKeywordFileIO,                           // Close
	15: KernelFileKeywordFileIO | KernelFileKeywordRead,   // Read
	16: KernelFileKeywordFileIO | KernelFileKeywordWrite,  // Write
	27: KernelFileKeywordRenameSetLinkPath,                // RenamePath
	30: KernelFileKeywordCreateNewFile,                    // CreateNewFile
}

// Undelivered lists the event IDs p asks for that its keywords do not
// enable, so the provider would never write them to the session. By
// EnableTraceEx2's documentation a provider writes an event when the
// event's keyword bits match any bit of MatchAnyKeyword (or the event has
// none), and MatchAnyKeyword 0 includes every event of a manifest-based
// provider. Only Kernel-File's events are known here; others pass.
func Undelivered(p Provider) []uint16 {
	if p.Keywords == 0 || p.GUID != KernelFileGUID {
		return nil
	}
	var out []uint16
	for _, id := range p.IDs {
		kw, known := kernelFileEventKeywords[id]
		if known && kw != 0 && kw&p.Keywords == 0 {
			out = append(out, id)
		}
	}
	return out
}

// MergeEnable is what one EnableTraceEx2 call must ask for so that every
// subscriber of one provider gets its events (a second call on the same
// provider replaces the first one's settings): the union of the keywords
// and of the event IDs. A subscriber with keywords 0 (every event of the
// provider) makes the merged keywords 0, and one with no IDs (every ID)
// leaves the merged IDs empty: a union that kept the others' bits or IDs
// would cut that subscriber off.
func MergeEnable(subs []Provider) (keywords uint64, ids []uint16) {
	allKeywords, allIDs := false, false
	for _, s := range subs {
		if s.Keywords == 0 {
			allKeywords = true
		}
		keywords |= s.Keywords
		if len(s.IDs) == 0 {
			allIDs = true
		}
		for _, id := range s.IDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if allKeywords {
		keywords = 0
	}
	if allIDs {
		ids = nil
	}
	slices.Sort(ids)
	return keywords, ids
}
