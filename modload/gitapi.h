/*
 * modload/gitapi.h: libgit2, loaded when first needed.
 *
 * Most gotool runs never touch a repository, and linking libgit2 costs
 * every run its start-up: a dozen shared libraries (mbedTLS, libssh2,
 * Kerberos...) mapped and relocated before main.  So libgit2 is not linked;
 * gitapi_load dlopens it (by the SONAME found at configure time) on the
 * first VCS question, and the calls below go through a table of pointers.
 *
 * Include after <git2.h>, in files that call libgit2 (modload only): each
 * GITAPI_FUNCS name becomes its table entry, so calls read as usual.
 */
#ifndef GOTOOL_MODLOAD_GITAPI_H
#define GOTOOL_MODLOAD_GITAPI_H

#include <git2.h>

#include "runtime/runtime.h"

/* Every libgit2 function gotool calls. */
#define GITAPI_FUNCS(X)                  \
	X(git_blob_free)                 \
	X(git_blob_lookup)               \
	X(git_blob_rawcontent)           \
	X(git_blob_rawsize)              \
	X(git_commit_free)               \
	X(git_commit_lookup)             \
	X(git_commit_time)               \
	X(git_commit_tree)               \
	X(git_config_free)               \
	X(git_config_get_string)         \
	X(git_graph_descendant_of)       \
	X(git_libgit2_init)              \
	X(git_object_free)               \
	X(git_object_id)                 \
	X(git_oid_cpy)                   \
	X(git_oid_equal)                 \
	X(git_oid_tostr)                 \
	X(git_reference_free)            \
	X(git_reference_iterator_free)   \
	X(git_reference_iterator_glob_new) \
	X(git_reference_name)            \
	X(git_reference_name_to_id)      \
	X(git_reference_next)            \
	X(git_reference_peel)            \
	X(git_repository_config_snapshot) \
	X(git_repository_free)           \
	X(git_repository_is_bare)        \
	X(git_repository_open_ext)       \
	X(git_status_list_entrycount)    \
	X(git_status_list_free)          \
	X(git_status_list_new)           \
	X(git_status_options_init)       \
	X(git_tree_entry_bypath)         \
	X(git_tree_entry_free)           \
	X(git_tree_entry_id)             \
	X(git_tree_entry_type)           \
	X(git_error_last) \
	X(git_fetch_options_init) \
	X(git_object_lookup_prefix) \
	X(git_object_peel) \
	X(git_oid_fromstr) \
	X(git_remote_connect) \
	X(git_remote_create) \
	X(git_remote_disconnect) \
	X(git_remote_fetch) \
	X(git_remote_free) \
	X(git_remote_init_callbacks) \
	X(git_remote_ls) \
	X(git_repository_init) \
	X(git_repository_open_bare) \
	X(git_revparse_single) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_name) \
	X(git_tree_walk) \
	X(git_tree_lookup) \
	X(git_tree_entry_to_object) \
	X(git_commit_id) \
	X(git_config_iterator_new) \
	X(git_config_next) \
	X(git_config_iterator_free) \
	X(git_remote_create_with_opts) \
	X(git_remote_create_options_init) \
	X(git_tree_free)

struct gitapi {
#define GITAPI_FIELD(f) __typeof__(f) *p_##f;
	GITAPI_FUNCS(GITAPI_FIELD)
#undef GITAPI_FIELD
};
extern struct gitapi gitapi;

/* gitapi_load loads libgit2 and initializes it, once per process; -1
 * (with "cannot load libgit2 ...") when the library or a function is
 * missing, after which every call fails the same way. */
int gitapi_load(struct err *e);

#ifndef GITAPI_NO_REDIRECT
#define git_blob_free (*gitapi.p_git_blob_free)
#define git_blob_lookup (*gitapi.p_git_blob_lookup)
#define git_blob_rawcontent (*gitapi.p_git_blob_rawcontent)
#define git_blob_rawsize (*gitapi.p_git_blob_rawsize)
#define git_commit_free (*gitapi.p_git_commit_free)
#define git_commit_lookup (*gitapi.p_git_commit_lookup)
#define git_commit_time (*gitapi.p_git_commit_time)
#define git_commit_tree (*gitapi.p_git_commit_tree)
#define git_config_free (*gitapi.p_git_config_free)
#define git_config_get_string (*gitapi.p_git_config_get_string)
#define git_graph_descendant_of (*gitapi.p_git_graph_descendant_of)
#define git_libgit2_init (*gitapi.p_git_libgit2_init)
#define git_object_free (*gitapi.p_git_object_free)
#define git_object_id (*gitapi.p_git_object_id)
#define git_oid_cpy (*gitapi.p_git_oid_cpy)
#define git_oid_equal (*gitapi.p_git_oid_equal)
#define git_oid_tostr (*gitapi.p_git_oid_tostr)
#define git_reference_free (*gitapi.p_git_reference_free)
#define git_reference_iterator_free (*gitapi.p_git_reference_iterator_free)
#define git_reference_iterator_glob_new (*gitapi.p_git_reference_iterator_glob_new)
#define git_reference_name (*gitapi.p_git_reference_name)
#define git_reference_name_to_id (*gitapi.p_git_reference_name_to_id)
#define git_reference_next (*gitapi.p_git_reference_next)
#define git_reference_peel (*gitapi.p_git_reference_peel)
#define git_repository_config_snapshot (*gitapi.p_git_repository_config_snapshot)
#define git_repository_free (*gitapi.p_git_repository_free)
#define git_repository_is_bare (*gitapi.p_git_repository_is_bare)
#define git_repository_open_ext (*gitapi.p_git_repository_open_ext)
#define git_status_list_entrycount (*gitapi.p_git_status_list_entrycount)
#define git_status_list_free (*gitapi.p_git_status_list_free)
#define git_status_list_new (*gitapi.p_git_status_list_new)
#define git_status_options_init (*gitapi.p_git_status_options_init)
#define git_tree_entry_bypath (*gitapi.p_git_tree_entry_bypath)
#define git_tree_entry_free (*gitapi.p_git_tree_entry_free)
#define git_tree_entry_id (*gitapi.p_git_tree_entry_id)
#define git_tree_entry_type (*gitapi.p_git_tree_entry_type)
#define git_error_last (*gitapi.p_git_error_last)
#define git_fetch_options_init (*gitapi.p_git_fetch_options_init)
#define git_object_lookup_prefix (*gitapi.p_git_object_lookup_prefix)
#define git_object_peel (*gitapi.p_git_object_peel)
#define git_oid_fromstr (*gitapi.p_git_oid_fromstr)
#define git_remote_connect (*gitapi.p_git_remote_connect)
#define git_remote_create (*gitapi.p_git_remote_create)
#define git_remote_disconnect (*gitapi.p_git_remote_disconnect)
#define git_remote_fetch (*gitapi.p_git_remote_fetch)
#define git_remote_free (*gitapi.p_git_remote_free)
#define git_remote_init_callbacks (*gitapi.p_git_remote_init_callbacks)
#define git_remote_ls (*gitapi.p_git_remote_ls)
#define git_repository_init (*gitapi.p_git_repository_init)
#define git_repository_open_bare (*gitapi.p_git_repository_open_bare)
#define git_revparse_single (*gitapi.p_git_revparse_single)
#define git_tree_entry_filemode (*gitapi.p_git_tree_entry_filemode)
#define git_tree_entry_name (*gitapi.p_git_tree_entry_name)
#define git_tree_walk (*gitapi.p_git_tree_walk)
#define git_tree_lookup (*gitapi.p_git_tree_lookup)
#define git_tree_entry_to_object (*gitapi.p_git_tree_entry_to_object)
#define git_commit_id (*gitapi.p_git_commit_id)
#define git_config_iterator_new (*gitapi.p_git_config_iterator_new)
#define git_config_next (*gitapi.p_git_config_next)
#define git_config_iterator_free (*gitapi.p_git_config_iterator_free)
#define git_remote_create_with_opts (*gitapi.p_git_remote_create_with_opts)
#define git_remote_create_options_init (*gitapi.p_git_remote_create_options_init)
#define git_tree_free (*gitapi.p_git_tree_free)
#endif

#endif
